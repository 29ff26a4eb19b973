import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';
import { TAX_BRIDGE_API } from './service';

void runService(AppModule, TAX_BRIDGE_API);
