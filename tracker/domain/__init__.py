"""Domain: the entities, enums and rules of the product. Imports nothing else of ours."""
