import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';

void runService(AppModule, {
  title: 'fapiao order',
  description: 'Public order API and ingest of internal invoice requests; order state',
});
