export * from './formats';
export * from './locale';
export * from './messages';
export * from './plural';
