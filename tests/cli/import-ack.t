# import --ack: after each committed batch the record ids of its records in the store (stored,
# merged, already stored) are added to the file, a line each; a last line that a kill left
# unfinished is cut off when the file is next opened; every line names a record in the log
setup: $(dirname $TR)/tools/gen-region --out r --orgs 12 --people 50 --records 400 --seed 5 > /dev/null
setup: $TR init --origin talentreg.example/region --operator-key r/keys/operator.pem > /dev/null
run: $TR import --batch 50 --ack acks r/records.jsonl | tail -1; wc -l < acks; printf 2b44106e04a3 >> acks; $TR import --threads 0 --ack acks r/records.jsonl | tail -1; wc -l < acks; grep -cvx '[0-9a-f]\{64\}' acks; sort -u acks | wc -l; $(dirname $TR)/tools/store-check talent.db acks | head -2
exit: 0
--- stdout
import: the log has 389 leaves
391
import: the log has 389 leaves
782
0
385
integrity ok
acknowledged 782 records, all in the log
