"""Provisioning: Ansible playbooks run as jobs (SPEC F6)."""
