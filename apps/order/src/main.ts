import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';
import { ORDER_API } from './service';

void runService(AppModule, ORDER_API);
