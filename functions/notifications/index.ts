// Functions that deliver events to people: each file registers one function, a thin adapter
// over services/notifications.
import './notificationWorker.js';
import './webhookDelivery.js';
