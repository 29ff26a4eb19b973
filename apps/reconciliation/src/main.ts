import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';
import { RECONCILIATION_API } from './service';

void runService(AppModule, RECONCILIATION_API);
