/**
 * The observer that hands finished requests to the record spool. The record becomes its line of COPY text here,
 * once, so the record object itself is garbage as soon as the request is done; the gateway's own probe, scrape
 * and admin traffic is not recorded.
 */
import { recordCopyLine } from '../records/record-row.js';
import type { RecordSpool } from '../records/record-spool.js';
import { isOwnTraffic } from './own-traffic.js';
import type { RequestObserver } from './request-record.js';

export function createRecordWriterObserver(options: { spool: Pick<RecordSpool, 'append'> }): RequestObserver {
  return {
    onRecord(record) {
      if (!isOwnTraffic(record.path)) options.spool.append(recordCopyLine(record));
    },
  };
}
