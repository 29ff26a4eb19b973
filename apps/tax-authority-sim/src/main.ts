import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';

void runService(AppModule, {
  title: 'fapiao tax-authority-sim',
  description: 'A faithful simulator of the tax authority platform, with fault injection',
});
