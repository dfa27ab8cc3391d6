-- Agents prove who they are with a client certificate signed by the control plane's CA
-- (docs/adr/0003); the bearer credential they presented before is gone. An agent enrolled with
-- a credential has no certificate and must be enrolled again.
alter table agent drop column credential_hash;
alter table agent add column certificate_serial text;
alter table agent add column certificate_expires_at timestamptz;
update agent set revoked_at = now() where revoked_at is null;
