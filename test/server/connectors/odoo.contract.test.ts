import { odooTarget } from '../../support/crm-fakes/odoo/target';
import { connectorContract } from './contract';

// Odoo (external JSON-RPC API with an API key) passes the shared connector contract.
connectorContract(odooTarget());
