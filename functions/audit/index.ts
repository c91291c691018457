// The audit trail, for admins and approvers.
import './auditTrail.js';
