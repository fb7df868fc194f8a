/** Logs libp2p peers connecting and disconnecting (peer ids only: addresses can be a person's home IP). */
import type { PeerId } from '@libp2p/interface';
import type { Host } from '../libp2p-host.ts';
import type { Logger } from '../logger.ts';

export function logPeerEvents(options: { host: Host; logger: Logger }): () => void {
  const { host, logger } = options;
  const connected = (event: CustomEvent<PeerId>) =>
    logger.info({ peer: event.detail.toString(), peers: host.getPeers().length }, 'peer connected');
  const disconnected = (event: CustomEvent<PeerId>) =>
    logger.info({ peer: event.detail.toString(), peers: host.getPeers().length }, 'peer disconnected');
  host.addEventListener('peer:connect', connected);
  host.addEventListener('peer:disconnect', disconnected);
  return () => {
    host.removeEventListener('peer:connect', connected);
    host.removeEventListener('peer:disconnect', disconnected);
  };
}
