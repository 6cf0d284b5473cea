-- commands tracked from the database, not one node's memory (a cluster's jobs node re-sends and fails them): when a
-- delivered command (a 查岗 sent to a transmission device) must be answered by
alter table commands add column answer_by timestamptz;
