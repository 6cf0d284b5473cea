// A form's submit, held once for the dashboard's forms: one at a time (busy meanwhile), the error kept for the form to
// show (errorText), and what follows a success (close the form, clear it, tell the page) run only then.
import { useAction, type Action } from '../action';

export interface Submit extends Action {
  /** Sends the form; on success runs `then` with the answer. */
  submit(): Promise<void>;
}

export function useSubmit<T>(send: () => Promise<T>, then: (result: T) => void): Submit {
  const action = useAction();
  async function submit(): Promise<void> {
    const result = await action.run(send);
    if (result !== undefined) then(result);
  }
  return { ...action, submit };
}
