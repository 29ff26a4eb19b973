import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';

void runService(AppModule, {
  title: 'fapiao invoice',
  description: 'Invoice model, numbering, the issuance and red-letter sagas',
});
