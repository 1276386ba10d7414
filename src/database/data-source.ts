// The DataSource the TypeORM CLI uses (`npm run migration:*`, on the compiled dist/).
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config.js';
import { databaseOptions } from './database.options.js';

export default new DataSource(databaseOptions(loadConfig()));
