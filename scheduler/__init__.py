"""Tarjotin's application: the contract, scenarios, the workflow and the CLI."""
