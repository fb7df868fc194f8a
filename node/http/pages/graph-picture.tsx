/**
 * Graphs as SVG pictures (trust paths, recognition graphs), laid out by dagre
 * so no page carries its own layout code. Labels come from credentials and
 * peers: hono/jsx escapes them like any other text.
 */
import { graphlib, layout } from '@dagrejs/dagre';

export interface PictureNode {
  id: string;
  label: string;
  /** A second, smaller line (dates, scope). */
  sub?: string;
  kind?: 'node' | 'network' | 'member' | 'problem';
}

export interface PictureEdge {
  from: string;
  to: string;
  label?: string;
}

const CHAR = 7.2;
const clip = (text: string, max = 44) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function GraphPicture(props: { title: string; nodes: PictureNode[]; edges: PictureEdge[] }) {
  const g = new graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 46, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of props.nodes) {
    const width = Math.max(clip(node.label).length, clip(node.sub ?? '').length * 0.85) * CHAR + 28;
    g.setNode(node.id, { width, height: node.sub ? 48 : 34 });
  }
  for (const edge of props.edges) {
    const label = clip(edge.label ?? '', 40);
    g.setEdge(edge.from, edge.to, { width: label.length * 6.2, height: label ? 16 : 0, labelpos: 'c' });
  }
  layout(g);
  const { width = 100, height = 100 } = g.graph();
  return (
    <svg
      class="graph"
      role="img"
      aria-label={props.title}
      viewBox={`0 0 ${Math.ceil(width)} ${Math.ceil(height)}`}
      width={Math.ceil(width)}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title>{props.title}</title>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
        </marker>
      </defs>
      {props.edges.map((edge) => {
        const e = g.edge(edge.from, edge.to);
        const d = e.points
          .map((p: { x: number; y: number }, i: number) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`)
          .join(' ');
        return (
          <g class="edge">
            <path d={d} marker-end="url(#arrow)" />
            {edge.label ? (
              <text x={(e.x ?? 0).toFixed(1)} y={((e.y ?? 0) + 4).toFixed(1)} text-anchor="middle">
                {clip(edge.label, 40)}
              </text>
            ) : null}
          </g>
        );
      })}
      {props.nodes.map((node) => {
        const n = g.node(node.id);
        const x = n.x - n.width / 2;
        const y = n.y - n.height / 2;
        return (
          <g class={`gnode ${node.kind ?? 'network'}`}>
            <rect x={x.toFixed(1)} y={y.toFixed(1)} width={n.width.toFixed(1)} height={n.height} rx="8" />
            <text x={n.x.toFixed(1)} y={(n.y + (node.sub ? -3 : 5)).toFixed(1)} text-anchor="middle">
              {clip(node.label)}
            </text>
            {node.sub ? (
              <text class="sub" x={n.x.toFixed(1)} y={(n.y + 14).toFixed(1)} text-anchor="middle">
                {clip(node.sub, 52)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
