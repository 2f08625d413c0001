export { maskSecrets } from './mask-secrets';
export { escapeGithubText, githubCodeSpan, githubCodeFence, slackUserOnGithub } from './github-markdown';
