import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';

void runService(AppModule, {
  title: 'fapiao tax-bridge',
  description: 'The only service that talks to the tax authority: resilience, store-and-forward',
});
