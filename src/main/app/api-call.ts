import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import type { ApiHandler } from '../api/types';

/**
 * A typed call for the shell's own uses of the contract (tray, notifications, quit): the same
 * validated path the window's calls take, with an error envelope turned back into an exception.
 */
export async function callApi<M extends MethodName>(
  api: Pick<ApiHandler, 'call'>,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await api.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.data as MethodOutput<M>;
}
