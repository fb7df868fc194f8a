/**
 * Gossipsub scoring for network topics. Registry traffic is sparse, so the
 * delivery-rate penalties meant for busy topics (P3, P3b) are off: a quiet but
 * honest peer must not lose standing. Invalid messages (P4) weigh heavily, so
 * a peer that sends forged or oversized data is pruned and, below the graylist
 * threshold, ignored.
 */
import { createTopicScoreParams, type TopicScoreParams } from '@libp2p/gossipsub/score';

export function networkTopicScoreParams(): TopicScoreParams {
  return createTopicScoreParams({
    topicWeight: 1,
    timeInMeshWeight: 0.01,
    timeInMeshQuantum: 1_000,
    timeInMeshCap: 100,
    firstMessageDeliveriesWeight: 0.5,
    firstMessageDeliveriesDecay: 0.9,
    firstMessageDeliveriesCap: 20,
    meshMessageDeliveriesWeight: 0,
    meshFailurePenaltyWeight: 0,
    invalidMessageDeliveriesWeight: -100,
    invalidMessageDeliveriesDecay: 0.9,
  });
}
