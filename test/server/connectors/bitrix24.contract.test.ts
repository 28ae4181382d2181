import { bitrix24Target } from '../../support/crm-fakes/bitrix24/target';
import { connectorContract } from './contract';

// Bitrix24 (inbound webhook) passes the shared connector contract.
connectorContract(bitrix24Target());
