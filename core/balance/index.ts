export * from './segments';
export * from './weights';
export * from './model';
export * from './reassign';
export * from './naive';
export * from './suggest-owner';
