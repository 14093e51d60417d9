/** The web application's entry: the styles, and the application in #app. */
import { render } from 'preact';
import { App } from './app/App';
import './styles.css';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
