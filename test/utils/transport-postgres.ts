// Jest `postgres` project (jest.config.js): the test apps of these specs run on PostgreSQL alone.
process.env.TEST_TRANSPORT = 'postgres';
