// Functions for sandbox provisioning register here.
