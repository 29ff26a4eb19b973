import { runService } from '@fapiao/platform/service';
import { AppModule } from './app.module';

void runService(AppModule, {
  title: 'fapiao auth',
  description: 'OAuth2 client credentials (RS256 JWT), JWKS with key rotation, tenants and API clients',
});
