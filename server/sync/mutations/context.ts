import type { CrmInstance, MutationResult, User } from '../../../core/schema';
import type { StoreKind } from '../../store/store';
import type { Tx } from '../../store/transaction';
import type { ChangeEntry } from '../change-log';

export type FailureCode = NonNullable<MutationResult['error']>['code'];

/**
 * A mutation the server refuses (forbidden, conflict, not found). Handlers throw it before writing anything,
 * so the rest of the batch can go on in the same transaction.
 */
export class MutationRejected extends Error {
  constructor(readonly code: FailureCode, message: string) {
    super(message);
  }
}

export interface MutationContext {
  tx: Tx;
  kind: StoreKind;
  user: User;
  now: string;
  /** Users of the workspace, loaded at most once per batch (owner mapping). */
  users(): Promise<User[]>;
  /** The workspace's CRM tenants, loaded at most once per batch: records of any other tenant are refused. */
  tenants(): Promise<CrmInstance[]>;
}

export type MutationHandler<A> = (context: MutationContext, args: A) => Promise<ChangeEntry[]>;
