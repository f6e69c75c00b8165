"""The pages of the app, one module each (its views and its layout); the registry
(:mod:`dashboard.pages.registry`) lists them. Page modules never import each other."""
