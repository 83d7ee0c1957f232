import { FunctionsError, httpsCallable } from 'firebase/functions';

import { MitcheClientError, type MitcheClient } from './client.js';

/** A callable's refusal, with the code it was refused with. */
export class CallableError<C extends string = string> extends Error {
  constructor(
    readonly callable: string,
    readonly code: C | 'internal' | 'unavailable' | 'deadline-exceeded' | 'unknown',
    message: string,
  ) {
    super(`${callable}: ${code}: ${message}`);
    this.name = 'CallableError';
  }
}

export async function call<Req, Res, C extends string>(
  client: MitcheClient,
  name: string,
  data: Req,
): Promise<Res> {
  if (!client.functions) throw new MitcheClientError(`${name}: the client has no Functions instance`);
  try {
    const result = await httpsCallable<Req, Res>(client.functions, name)(data);
    return result.data;
  } catch (error) {
    if (error instanceof FunctionsError) {
      const code = error.code.replace(/^functions\//, '') as C;
      throw new CallableError<C>(name, code, error.message);
    }
    throw error;
  }
}
