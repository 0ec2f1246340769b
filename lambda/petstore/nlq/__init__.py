"""Natural-language pet queries: the keyword parser, the store vocabulary, session refinement and the Bedrock path."""
