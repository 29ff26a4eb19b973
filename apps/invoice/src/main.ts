import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';
import { INVOICE_API } from './service';

void runService(AppModule, INVOICE_API);
