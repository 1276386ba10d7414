import { Global, Module } from '@nestjs/common';
import { CryptoService } from './crypto.service.js';

/** Global: nearly every feature encrypts, decrypts or blind-indexes with the same keys. */
@Global()
@Module({ providers: [CryptoService], exports: [CryptoService] })
export class CryptoModule {}
