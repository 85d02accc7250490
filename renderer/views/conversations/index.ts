// The Conversations view the shell places in its side panel.
export { Conversations } from './Conversations';
