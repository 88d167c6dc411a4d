-- pgvector for embeddings. On Supabase enable it once per project (Database → Extensions) if this role may not.
CREATE EXTENSION IF NOT EXISTS vector;
