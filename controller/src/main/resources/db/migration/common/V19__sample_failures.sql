-- What a failed request left behind: Ollama's error text (a dtype it cannot load, "unable to load model", a Metal
-- error mid-stream), cut to 512 characters, and how many tokens it had streamed when it failed.
ALTER TABLE samples ADD COLUMN error_message VARCHAR(512);
ALTER TABLE samples ADD COLUMN error_tokens INT;
