export * from './national';
export * from './working-calendar';
