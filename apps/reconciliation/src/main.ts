import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';

void runService(AppModule, {
  title: 'fapiao reconciliation',
  description: 'Matches order, invoice and authority records; finds and repairs drift',
});
