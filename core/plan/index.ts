export * from './calendar';
export * from './working-days';
export * from './currency';
export * from './daily-totals';
export * from './progress';
export * from './department';
