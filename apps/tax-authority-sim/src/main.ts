import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';
import { SIM_API } from './service';

void runService(AppModule, SIM_API);
