import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';
import { AUTH_API } from './service';

void runService(AppModule, AUTH_API);
