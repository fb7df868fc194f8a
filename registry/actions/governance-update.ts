/** `governance.update`: rotates governors, changes the threshold or the governance framework link. */
import type { ActionHandler } from './handler.ts';
import { governorDid, invalid, onlyKnown, stringList, url } from './params.ts';

export const governanceUpdate: ActionHandler = {
  type: 'governance.update',
  validate(action) {
    onlyKnown(action, ['governors', 'threshold', 'frameworkUrl']);
    if (action.governors === undefined && action.threshold === undefined && action.frameworkUrl === undefined) {
      invalid('governance.update must change governors, threshold or frameworkUrl');
    }
    if (action.governors !== undefined) {
      for (const [i, g] of stringList(action.governors, 'governors', { min: 1, max: 50 }).entries()) {
        governorDid(g, `governors[${i}]`);
      }
    }
    if (action.threshold !== undefined && (!Number.isInteger(action.threshold) || (action.threshold as number) < 1)) {
      invalid('threshold must be a whole number ≥ 1');
    }
    url(action, 'frameworkUrl');
  },
  apply(state, { id, action }) {
    const current = state.governance[state.governance.length - 1];
    const governors = (action.governors as string[] | undefined) ?? current.governors;
    const threshold = (action.threshold as number | undefined) ?? current.threshold;
    // Checked here, not in validate: it depends on the governors in effect.
    if (threshold > governors.length) return 'THRESHOLD_ABOVE_GOVERNORS';
    const frameworkUrl = (action.frameworkUrl as string | undefined) ?? current.frameworkUrl;
    state.governance.push({
      from: action.effectiveAt,
      actionId: id,
      governors,
      threshold,
      ...(frameworkUrl ? { frameworkUrl } : {}),
    });
    return undefined;
  },
};
