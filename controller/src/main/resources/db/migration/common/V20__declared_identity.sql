-- What each host's Ollama declares about a model beside its digest (/api/show; the runbook's Gate A: a tag alone is
-- not an identity): architecture, parameter count and the dtype its runner reads.
ALTER TABLE host_models ADD COLUMN architecture VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE host_models ADD COLUMN parameter_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE host_models ADD COLUMN declared_dtype VARCHAR(64) NOT NULL DEFAULT '';
