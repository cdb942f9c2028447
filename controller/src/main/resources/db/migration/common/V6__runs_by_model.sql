-- `macfleet report` asks for each host's newest completed run of one model.
CREATE INDEX runs_model_host_finished ON runs (model, host_id, status, finished_at);
