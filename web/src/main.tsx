import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { HashRouter } from 'react-router';
import { App } from './App';
import { startSignIn } from './auth';
import { queryClient } from './query';
import './styles.css';

// Hash routes ("#/partner/invoices/…"): the API serves one page and the hash picks the view.
// A sign-in the identity provider sent back is completed first, so the router starts on the
// page the person was on (web/src/auth.ts).
const render = () =>
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <HashRouter>
          <App />
        </HashRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
void startSignIn().finally(render);
