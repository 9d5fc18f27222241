// The web UI's entry: the app shell (app/App.tsx) into #app.
import { render } from 'preact';

import { App } from './app/App';
import './app/app.css';

render(<App />, document.getElementById('app')!);
