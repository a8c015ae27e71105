-- One number every committed data change adds one to (see Database.data_epoch): how a process
-- notices, with one cheap read, that another process wrote and its cached views are stale.
CREATE TABLE data_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL
);
INSERT INTO data_epoch (id, epoch) VALUES (1, 0);
