"""Services: what a customer has been provisioned with (customer_service), and their live OCS/HSS views."""
