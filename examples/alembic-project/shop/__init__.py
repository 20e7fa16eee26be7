"""The shop application (only its models matter to the migrations)."""
