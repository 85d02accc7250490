// The four TCP/IP layers' colours (custom properties in base.css, one set per theme). The bytes
// view, the details tree and the layer stack colour a layer the same way.
import type { TcpIpLayer } from '../../shared/dissect/types';

export const LAYER_VAR: Readonly<Record<TcpIpLayer, string>> = {
  link: 'var(--layer-link)',
  internet: 'var(--layer-internet)',
  transport: 'var(--layer-transport)',
  application: 'var(--layer-application)',
};

export const LAYER_NAME: Readonly<Record<TcpIpLayer, string>> = {
  link: 'Link',
  internet: 'Internet',
  transport: 'Transport',
  application: 'Application',
};

export const TCPIP_LAYERS: readonly TcpIpLayer[] = ['link', 'internet', 'transport', 'application'];
