export { maskSecrets } from './mask-secrets';
export { escapeGithubText, githubCodeSpan, githubCodeFence } from './github-markdown';
