import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * Each integration test file gets a Temporal namespace of its own on the dev server the global
 * setup started, with the custom search attributes. Workflow ids such as `month-close:<month>`
 * and the close schedule are per namespace, so a file's close never waits on another file's
 * close of the same month, and a file never sees another file's runs in a list query. The
 * name is set before the test file is loaded, so configuration read at its top level sees it.
 */
const address = process.env.TEMPORAL_ADDRESS;
let namespace: string | undefined;

if (address) {
  namespace = `test-${process.pid}-${Date.now().toString(36)}`;
  process.env.TEMPORAL_NAMESPACE = namespace;
}

beforeAll(async () => {
  if (!address || !namespace) return;
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        CUSTOM_SEARCH_ATTRIBUTES.map((key) => [
          key.name,
          temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
  } finally {
    await connection.close();
  }
}, 60_000);
