/** `network.genesis`: creates a network with its first governors and threshold. Its id is the network id. */
import type { ActionHandler } from './handler.ts';
import { governorDid, invalid, onlyKnown, stringList, text, url } from './params.ts';

export const networkGenesis: ActionHandler = {
  type: 'network.genesis',
  validate(action) {
    onlyKnown(action, ['name', 'description', 'governors', 'threshold', 'frameworkUrl']);
    if (action.network !== undefined) invalid('network.genesis names no network: its id becomes the network id');
    text(action, 'name', { required: true, max: 200 });
    text(action, 'description', { max: 2000 });
    url(action, 'frameworkUrl');
    const governors = stringList(action.governors, 'governors', { min: 1, max: 50 });
    governors.forEach((g, i) => {
      governorDid(g, `governors[${i}]`);
    });
    const threshold = action.threshold;
    if (!Number.isInteger(threshold) || (threshold as number) < 1 || (threshold as number) > governors.length) {
      invalid('threshold must be a whole number from 1 to the number of governors');
    }
  },
  apply(state, { id, action }) {
    if (state.applied.length > 0) return 'GENESIS_NOT_FIRST';
    state.name = action.name as string;
    if (action.description) state.description = action.description as string;
    state.createdAt = action.effectiveAt;
    state.governance.push({
      from: action.effectiveAt,
      actionId: id,
      governors: action.governors as string[],
      threshold: action.threshold as number,
      ...(action.frameworkUrl ? { frameworkUrl: action.frameworkUrl as string } : {}),
    });
    return undefined;
  },
};
